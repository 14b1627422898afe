"""French plural in templates: 0 and 1 are singular."""
import pytest
from django.template import Context, Template


@pytest.mark.parametrize(("valeur", "attendu"), [
    (0, "0 commune"), (1, "1 commune"), (2, "2 communes"), (4446, "4446 communes"), ("3", "3 communes"),
    ([], " commune"), (["a", "b"], " communes"), (None, " commune"),
])
def test_pluriel(valeur, attendu):
    gabarit = Template("{% load francais %}{{ nombre }} commune{{ n|pluriel }}")
    nombre = valeur if isinstance(valeur, (int, str)) else ""
    assert gabarit.render(Context({"n": valeur, "nombre": nombre})) == attendu


def test_pluriel_d_un_verbe():
    gabarit = Template('{% load francais %}{{ n }} commune{{ n|pluriel }} change{{ n|pluriel:"nt" }}')
    assert gabarit.render(Context({"n": 1})) == "1 commune change"
    assert gabarit.render(Context({"n": 3})) == "3 communes changent"
