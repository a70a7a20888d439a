"""The beheer pages for case types keep the invariants the rest of Spil relies on."""

import pytest
from django.forms import inlineformset_factory
from django.urls import reverse

from spil.casetypes.admin import PhaseInlineFormSet
from spil.casetypes.models import CaseType, LifeDomain, Phase
from spil.logbook.models import ProcessingActivity


def change_url(case_type):
    return reverse("admin:casetypes_casetype_change", args=[case_type.pk])


def form_data(case_type, phases, *, initial, **fields):
    """POST data for the case-type change form; `phases` are dicts with id/order/code/name/lead_time_days."""
    data = {
        "code": case_type.code,
        "name": case_type.name,
        "description": case_type.description,
        "label_for": case_type.label_for_id or "",
        "lead_time_days": case_type.lead_time_days,
        "processing_activity": case_type.processing_activity_id or "",
        "life_domains": [str(pk) for pk in case_type.life_domains.values_list("pk", flat=True)] if case_type.pk else [],
        "phases-TOTAL_FORMS": str(len(phases)),
        "phases-INITIAL_FORMS": str(initial),
        "phases-MIN_NUM_FORMS": "1",
        "phases-MAX_NUM_FORMS": "1000",
    }
    if case_type.active:
        data["active"] = "on"
    if case_type.restricted:
        data["restricted"] = "on"
    for i, phase in enumerate(phases):
        for key, value in phase.items():
            data[f"phases-{i}-{key}"] = "" if value is None else str(value)
        data[f"phases-{i}-case_type"] = str(case_type.pk) if case_type.pk else ""
    data.update(fields)
    return data


def existing_phases(case_type):
    return [
        {"id": p.pk, "order": p.order, "code": p.code, "name": p.name, "lead_time_days": p.lead_time_days}
        for p in case_type.phases.order_by("order")
    ]


def phase_codes(case_type):
    return list(case_type.phases.order_by("order").values_list("code", flat=True))


@pytest.fixture
def pga(db):
    return CaseType.objects.get(code="pga")


def test_the_change_form_shows_the_phases_and_where_the_data_comes_from(admin_client, pga):
    response = admin_client.get(change_url(pga))
    assert response.status_code == 200
    assert "case_types.toml" in response.content.decode()
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 4


def test_the_change_form_saves_unchanged(admin_client, pga):
    phases = existing_phases(pga)
    response = admin_client.post(change_url(pga), form_data(pga, phases, initial=len(phases)))
    assert response.status_code == 302
    assert phase_codes(pga) == ["analyse", "plan-van-aanpak", "uitvoering", "afschalen"]


def test_a_case_type_cannot_lose_its_last_phase(admin_client, pga):
    phases = [{**phase, "DELETE": "on"} for phase in existing_phases(pga)]
    response = admin_client.post(change_url(pga), form_data(pga, phases, initial=len(phases)))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors().as_data()[0].code == "too_few_forms"
    assert pga.phases.count() == 4


def test_a_case_type_cannot_be_added_without_phases(admin_client, db):
    new = CaseType(code="pip", name="Pleger in positie (PIP)", lead_time_days=30)
    response = admin_client.post(reverse("admin:casetypes_casetype_add"), form_data(new, [], initial=0))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not CaseType.objects.filter(code="pip").exists()


def test_a_case_type_can_be_added_with_a_phase(admin_client, db):
    new = CaseType(
        code="pip",
        name="Pleger in positie (PIP)",
        lead_time_days=30,
        processing_activity=ProcessingActivity.objects.get(code="procesregie"),
    )
    phase = {"id": None, "order": 1, "code": "bijeenkomst", "name": "Themabijeenkomst", "lead_time_days": 30}
    response = admin_client.post(reverse("admin:casetypes_casetype_add"), form_data(new, [phase], initial=0))
    assert response.status_code == 302
    assert phase_codes(CaseType.objects.get(code="pip")) == ["bijeenkomst"]


def test_phases_can_be_swapped(admin_client, pga):
    phases = existing_phases(pga)
    phases[0]["order"], phases[1]["order"] = phases[1]["order"], phases[0]["order"]
    response = admin_client.post(change_url(pga), form_data(pga, phases, initial=len(phases)))
    assert response.status_code == 302
    assert phase_codes(pga) == ["plan-van-aanpak", "analyse", "uitvoering", "afschalen"]


def test_a_phase_can_take_the_place_of_a_deleted_one(admin_client, pga):
    phases = existing_phases(pga)
    phases[0]["order"] = 4
    phases[3]["DELETE"] = "on"
    response = admin_client.post(change_url(pga), form_data(pga, phases, initial=len(phases)))
    assert response.status_code == 302
    assert list(pga.phases.values_list("code", "order")) == [("plan-van-aanpak", 2), ("uitvoering", 3), ("analyse", 4)]


def test_two_phases_cannot_share_an_order(admin_client, pga):
    phases = existing_phases(pga)
    phases[1]["order"] = 1
    response = admin_client.post(change_url(pga), form_data(pga, phases, initial=len(phases)))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert phase_codes(pga) == ["analyse", "plan-van-aanpak", "uitvoering", "afschalen"]


def test_the_code_of_an_existing_case_type_cannot_be_changed(admin_client, pga):
    phases = existing_phases(pga)
    response = admin_client.post(change_url(pga), form_data(pga, phases, initial=len(phases), code="pga-nieuw"))
    assert response.status_code == 302
    assert CaseType.objects.filter(code="pga").exists()


def test_a_label_is_put_on_a_product_not_on_another_label(admin_client, db):
    top_x = CaseType.objects.get(code="top-x")
    consult = CaseType.objects.get(code="consult-advies")
    phases = existing_phases(consult)
    response = admin_client.post(change_url(consult), form_data(consult, phases, initial=len(phases), label_for=str(top_x.pk)))
    assert response.status_code == 200
    assert "label_for" in response.context["adminform"].form.errors


def test_a_product_with_labels_cannot_become_a_label(admin_client, pga):
    phases = existing_phases(pga)
    jeugd = CaseType.objects.get(code="pga-jeugd")
    response = admin_client.post(change_url(pga), form_data(pga, phases, initial=len(phases), label_for=str(jeugd.pk)))
    assert response.status_code == 200
    assert "label_for" in response.context["adminform"].form.errors
    pga.refresh_from_db()
    assert pga.label_for is None


def test_the_list_can_be_filtered_on_restricted_and_searched(admin_client, db):
    url = reverse("admin:casetypes_casetype_changelist")
    restricted = admin_client.get(url, {"restricted__exact": "1"})
    assert {ct.code for ct in restricted.context["cl"].result_list} == {"pga-radicalisering", "zoco-mensenhandel"}
    found = admin_client.get(url, {"q": "huisverbod"})
    assert [ct.code for ct in found.context["cl"].result_list] == ["wth"]


def test_life_domains_are_listed(admin_client, db):
    response = admin_client.get(reverse("admin:casetypes_lifedomain_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == LifeDomain.objects.count()


def test_the_phase_formset_itself_requires_a_phase(pga):
    """Also where it is used without the admin's validate_min."""
    PhaseFormSet = inlineformset_factory(
        CaseType, Phase, formset=PhaseInlineFormSet, fields=["order", "code", "name", "lead_time_days"], extra=0
    )
    all_deleted = [{**phase, "DELETE": "on"} for phase in existing_phases(pga)]
    data = {key: value for key, value in form_data(pga, all_deleted, initial=4).items() if key.startswith("phases-")}
    formset = PhaseFormSet(data, instance=pga, prefix="phases")
    assert not formset.is_valid()
    assert "minstens één fase" in str(formset.non_form_errors())
