"""API conventions shared by every app: pagination with explicit 400s for bad paging parameters, quotas."""
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import UserRateThrottle


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        erreurs = {}
        for parametre, maximum in (("page", None), ("page_size", self.max_page_size)):
            valeur = request.query_params.get(parametre)
            if valeur is None:
                continue
            if not valeur.isdigit() or int(valeur) < 1:
                erreurs[parametre] = [f"« {valeur} » n'est pas un entier positif."]
            elif maximum and int(valeur) > maximum:
                erreurs[parametre] = [f"{parametre} ne peut dépasser {maximum}."]
        if erreurs:
            raise ValidationError(erreurs)
        return super().paginate_queryset(queryset, request, view)


class QuotaUtilisateur(UserRateThrottle):
    """Authenticated quota: partners (group "Partenaire API") get the higher "partenaire" rate."""

    GROUPE_PARTENAIRE = "Partenaire API"

    def allow_request(self, request, view):
        utilisateur = request.user
        if not (utilisateur and utilisateur.is_authenticated):
            return True  # anonymous requests have their own quota (AnonRateThrottle)
        if utilisateur.groups.filter(name=self.GROUPE_PARTENAIRE).exists():
            self.scope = "partenaire"
        else:
            self.scope = "user"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
