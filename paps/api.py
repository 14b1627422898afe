"""API conventions shared by every app: pagination with explicit 400s for bad paging parameters."""
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


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
