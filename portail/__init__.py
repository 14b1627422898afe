"""The portal: the only app that combines the domain apps — home page, the commune page (zonages, aids, structures,
CPTS), the dashboard, the whole reference load, the API router, the role groups.

May import: every app of the project."""
