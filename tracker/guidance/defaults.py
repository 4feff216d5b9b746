"""The guidance the tracker ships with, written for staff from the practice's patient leaflet.

Each text is in the simple guidance format (headings, lists, bold, links). The practice manager
can replace any of them at /admin/guidance and bring the shipped text back at any time.
"""

DEFAULT_TEXTS: dict[str, str] = {
    # --- the intake form -------------------------------------------------------------------
    "intake": """\
## Before you start
- Write the concern down in the patient's own words. Do not judge whether it is justified.
- Ask whether anything feels **urgent** today. If it does, tell the duty doctor now, before you
  finish the form.
- Ask whether they want to make a **formal complaint**. Only record one if they say so: it starts
  a legal deadline for the practice to acknowledge it.
- If someone else is making the request, note who they are and whether the patient has agreed to
  them speaking for them.

## What to say
- Asking for another view is an ordinary thing to do and nobody will hold it against them.
- Patients are registered with the whole practice, not with one named GP, so any GP here can look
  at their concern.
- Tell them what happens next and roughly when you will be in touch.
""",
    "route_discuss_again_own_gp": """\
Often right when the first appointment was short, covered several problems, or the patient forgot
to mention something while they were worried.

- Suggest they list everything they want to raise before the appointment.
- They are welcome to bring a relative or friend for support and to help them remember.
- Book a longer slot with the same GP if you can.
""",
    "route_second_opinion_gp": """\
Best when the GP already had the full picture and the patient is still unhappy with the answer.

- Any GP in the practice can review the case, except the one who gave the first opinion.
- Each GP has their own strengths, so a colleague may notice something different.
- Explain that the second GP may well reach the same view as the first.
""",
    "route_senior_partner": """\
The patient would like the senior partner to look at their concern. That is a reasonable request:
the partners share responsibility for every patient on the list.

- Only a GP flagged as senior partner can be assigned.
- Explain that the senior partner's view may be the same as the first GP's.

## If the senior partner gave the first opinion
They cannot review their own advice. Explain this to the patient and offer another GP here or the
practice manager instead, or PALS outside the practice. Log the request anyway: the practice
manager can give the case to someone else and record why. If the patient wants to complain about
the senior partner, they can send the complaint to the integrated care board (ICB) instead of the
practice.
""",
    "route_practice_manager": """\
The patient would like the practice manager to look into it, often because they are unhappy with
how they were treated rather than with the clinical advice.

- The case is assigned to the practice manager, who may involve another GP for the clinical side.
- If the patient wants it handled as a complaint, answer **yes** to the formal complaint question.
""",
    "route_pals": """\
The patient wants help from outside the practice, perhaps because they do not feel able to see
another GP here, or they already have and are still worried.

- PALS is the NHS Patient Advice and Liaison Service. It is free and confidential.
- PALS is outside the practice but part of the NHS: it is run by NHS organisations such as the
  local integrated care board (ICB). It is not an independent body.
- Give them the local PALS office's details below and suggest they ask for a **PALS officer**.
- They can also find their local PALS through the [NHS website service search](https://www.nhs.uk/service-search).
- Log the request anyway, so the practice can follow what happens.
""",
    "route_register_elsewhere": """\
Moving to another practice is the **last resort**. It is their right, but make sure they know the
other options first.

- A new practice gives no promise of a different or better answer.
- Offer another GP here, the senior partner, the practice manager or PALS before they decide.
- If they still want to move, record it and close the case as registered elsewhere once they have.
""",
    "route_unsure": """\
Talk the patient through the choices, in this order:

1. Another appointment with their own GP, if something was missed or rushed.
2. A second opinion from another GP, the senior partner or the practice manager.
3. Help from PALS, outside the practice.
4. Registering with another practice, only as a last resort.

Log the request now; the practice manager will agree the route with them.
""",
    # --- each stage of a case --------------------------------------------------------------
    "stage_logged": """\
## What to check
- The concern is recorded in the patient's words and the contact details are right.
- The reviewer is **not** the GP who gave the first opinion.
- If they asked for the senior partner or the practice manager, assign that person.

## What to tell the patient
- Who will look at their concern and when they can expect to hear.

## What comes next
- Assign a reviewer within the practice's target. If they only want to talk it over again with
  their own GP, book that and close the case as returned to own GP.
""",
    "stage_assigned": """\
## What to check
- You are the right person: not the GP who gave the first opinion, and the route the patient chose.
- Read the concern and the first consultation before you contact the patient.

## What to tell the patient
- The practice shares responsibility for them, so a colleague is reviewing their concern.
- Agree an appointment, or explain that you will review their notes first.

## What comes next
- Start the review, or hand the case back if you cannot take it on.
""",
    "stage_in_review": """\
## What to check
- You have all the information the first GP had, and anything they may not have had.

## What to tell the patient
- A second opinion can confirm the first one or differ from it. Neither is automatically the
  better one.
- If your view differs, explain both and let the patient decide which advice to follow.

## What comes next
- Record the outcome and how the patient responded.
""",
    "stage_outcome_recorded": """\
## What to check
- The outcome and the patient's response are recorded.

## What to tell the patient
- If they are satisfied, thank them and close the case.
- If they are still worried, tell them about PALS. It is outside the practice, run by NHS
  organisations such as the integrated care board (ICB), so it is not independent of the NHS.
- If they are unhappy with how they were treated, they can make a **formal complaint**, either to
  the practice or to the ICB. If they are still unhappy with the final response, they can ask the
  Parliamentary and Health Service Ombudsman to look at it.
- **NHS Complaints Advocacy** is free and can help them make a complaint. Their local council
  can say who provides it.

## What comes next
- Close the case when the patient is satisfied, or refer to PALS.
- Registering with another practice is a last resort, and a new practice may give the same advice.
""",
    "stage_referred_to_pals": """\
## What to check
- The PALS office, officer and reference are recorded, so anyone can follow it up.

## What to tell the patient
- PALS sits outside the practice and can help them with their concern. It is run by NHS
  organisations such as the integrated care board (ICB), so it is part of the NHS, not
  independent of it.
- They can ask for a **PALS officer** when they get in touch.
- If PALS cannot settle it, they can make a formal complaint to the practice or to the ICB, and
  then go to the Parliamentary and Health Service Ombudsman if they are unhappy with the final
  response. NHS Complaints Advocacy can help them do this, free of charge.
- The "Send a letter" action on the case makes a letter with the local PALS office's details.

## What comes next
- Record PALS's response when it arrives, then close the case as resolved after PALS, or as
  registered elsewhere if the patient has moved practice.
""",
    "stage_closed": """\
## What to check
- The closure reason matches what happened. Registered elsewhere needs the date they moved.

## If the patient gets back in touch
- The practice manager can reopen the case if the same concern returns.
- For a new concern, log a new request.
""",
    # --- notes that apply to some cases ----------------------------------------------------
    "note_urgent": """\
**Urgent clinical concern.** Tell the duty doctor about this patient **today**, before anything
else on this case. Do not wait for the second opinion.
""",
    "note_urgent_told": """\
**Urgent clinical concern: the duty doctor has been told.** The case page shows who was told and
when, so there is nothing more to do about the urgency unless something changes. If the patient
calls again and sounds worse, tell the duty doctor again the same day and add a note saying so.
""",
    "note_formal_complaint": """\
**Formal complaint.** The practice must acknowledge it within **3 working days** of receipt, in
writing, by phone or in person, and offer to talk about how it will be handled. Record the
acknowledgement on the case as soon as it is made. Sending the acknowledgement letter from the
case ("Send a letter") records it for you.

- A patient can complain to the practice or to the integrated care board (ICB), not both.
- NHS Complaints Advocacy is free and can support them through the complaint.
- If they are unhappy with the final response, they can ask the Parliamentary and Health Service
  Ombudsman to look at it.
""",
    "note_representative": """\
**Someone is acting for the patient.** Never discuss the case with them unless the patient's
consent is recorded on the case. If it is not, speak only to the patient.
""",
    "note_overdue": """\
**Overdue.** A target on this case has passed. Act today, or tell the practice manager what is
holding it up.
""",
}
