"""django.contrib.admin with the portal's site (home grouped by task); named in INSTALLED_APPS. Kept out of apps.py,
where a second application configuration would make Django's choice ambiguous."""
from django.contrib.admin.apps import AdminConfig


class AdminPortailConfig(AdminConfig):
    default_site = "portail.site_admin.SiteAdmin"
