"""A form opened before someone else changed the case: refused, then started again from the
case as it is now with the person's own changes on top, so submitting again never undoes the
other person's change."""

from tests.helpers import form_values, inputs_named, text_of

ADDRESS = {"address_lines": "1 Mill Lane\nRiverton", "postcode": "RV1 2AD"}


def opened(client, reference, action) -> dict[str, str]:
    page = client.get(f"/cases/{reference}/{action}")
    assert page.status_code == 200
    return form_values(page.get_data(as_text=True))


def field_value(html: str, name: str) -> str:
    return inputs_named(html, name)[0].get("value") or ""


def test_a_refused_correction_shows_the_other_change_and_never_undoes_it(
    staff, log_case, as_user, load_case
):
    reference = log_case(**ADDRESS)
    reception, manager = as_user(staff.reception), as_user(staff.manager)
    receptions_form = opened(reception, reference, "correct")
    managers_form = opened(manager, reference, "correct")

    # The manager corrects the postcode and saves first.
    managers_form.update(postcode="RV1 2AB", reason="Postcode mistyped")
    assert manager.post(f"/cases/{reference}/correct", data=managers_form).status_code == 302

    # Reception corrects the name on the form opened before that, with the old postcode in it.
    receptions_form.update(patient_name="Alexa Example", reason="Name misheard")
    refused = reception.post(f"/cases/{reference}/correct", data=receptions_form)
    html, text = refused.get_data(as_text=True), text_of(refused)
    assert "Someone else changed this case" in text
    assert "Nothing was saved" in text
    # Theirs beside the old value, and the form now holds theirs with reception's own change.
    assert (
        "Details changed while you had this form open Detail When you opened the form Now "
        "Your entry Postcode RV1 2AD RV1 2AB You did not change this: the form now shows the "
        "new value"
    ) in text
    assert field_value(html, "postcode") == "RV1 2AB"
    assert field_value(html, "patient_name") == "Alexa Example"
    since = text.split("What was done since you opened this form")[1]
    assert "Case details corrected Mo Manager" in since
    assert "Postcode: RV1 2AD → RV1 2AB" in since
    case = load_case(reference)
    assert (case.patient_name, case.postcode) == ("Alex Example", "RV1 2AB")

    # Submitting the form as it now stands saves the name and keeps the manager's postcode.
    again = reception.post(f"/cases/{reference}/correct", data=form_values(html))
    assert again.status_code == 302, text_of(again)
    case = load_case(reference)
    assert (case.patient_name, case.postcode) == ("Alexa Example", "RV1 2AB")
    # The timeline says the name changed and nothing about the postcode going back.
    timeline = text_of(reception.get(f"/cases/{reference}")).split("Timeline")[1]
    assert "Patient name: Alex Example → Alexa Example" in timeline
    assert "RV1 2AB → RV1 2AD" not in timeline
    assert timeline.count("Postcode:") == 1


def test_a_detail_both_changed_keeps_the_persons_own_entry_beside_the_other(
    staff, log_case, as_user, load_case
):
    reference = log_case(**ADDRESS)
    reception, manager = as_user(staff.reception), as_user(staff.manager)
    receptions_form = opened(reception, reference, "correct")
    managers_form = opened(manager, reference, "correct")
    managers_form.update(postcode="RV1 2AB", reason="Postcode mistyped")
    assert manager.post(f"/cases/{reference}/correct", data=managers_form).status_code == 302

    receptions_form.update(postcode="RV1 9ZZ", reason="Patient gave a new postcode")
    refused = reception.post(f"/cases/{reference}/correct", data=receptions_form)
    html, text = refused.get_data(as_text=True), text_of(refused)
    assert "RV1 9ZZ : kept in the form. Choose which is right" in text
    assert field_value(html, "postcode") == "RV1 9ZZ"
    assert load_case(reference).postcode == "RV1 2AB"
    # Choosing theirs: nothing left to correct is said plainly, and nothing is saved.
    chosen = form_values(html) | {"postcode": "RV1 2AB"}
    kept = reception.post(f"/cases/{reference}/correct", data=chosen)
    assert "Nothing was changed" in text_of(kept)


def test_contact_details_opened_before_a_change_keep_the_change(
    staff, log_case, as_user, load_case
):
    reference = log_case(**ADDRESS)
    reception, manager = as_user(staff.reception), as_user(staff.manager)
    receptions_form = opened(reception, reference, "update-contact")
    managers_form = opened(manager, reference, "update-contact")
    managers_form.update(email="alex@example.org", preferred_contact="email")
    assert manager.post(f"/cases/{reference}/update-contact", data=managers_form).status_code == 302

    receptions_form.update(phone="01632 960555")
    refused = reception.post(f"/cases/{reference}/update-contact", data=receptions_form)
    html = refused.get_data(as_text=True)
    assert "Preferred contact Phone Email You did not change this" in text_of(refused)
    assert 'value="email" checked' in html
    assert field_value(html, "email") == "alex@example.org"
    assert field_value(html, "phone") == "01632 960555"
    again = reception.post(f"/cases/{reference}/update-contact", data=form_values(html))
    assert again.status_code == 302
    case = load_case(reference)
    assert (case.phone, case.email, case.preferred_contact) == (
        "01632 960555",
        "alex@example.org",
        "email",
    )


def test_any_action_refused_as_stale_shows_what_was_done_since(
    staff, log_case, as_user, act, load_case
):
    reference = log_case()
    gp = as_user(staff.gp)
    note_form = opened(gp, reference, "add-note")
    act(staff.manager, reference, "assign", {"reviewer": staff.other_gp.id})

    note_form.update(text="Called the patient back.")
    refused = gp.post(f"/cases/{reference}/add-note", data=note_form)
    text = text_of(refused)
    assert "What was done since you opened this form" in text
    since = text.split("What was done since you opened this form")[1]
    assert "Reviewer assigned" in since and "Mo Manager" in since
    assert "Called the patient back." in refused.get_data(as_text=True)
