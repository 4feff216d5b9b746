"""The letters the tracker ships with, written for patients in plain English.

Each text is in the guidance format (## headings, - lists, **bold**) with {placeholders} the
case and the practice settings fill in (placeholders.PLACEHOLDERS lists them). The practice
manager can change any of them at /admin/letters and bring the shipped text back at any time.
"""

from tracker.cases.letters.kinds import LetterKind

DEFAULT_LETTERS: dict[str, str] = {
    LetterKind.ACKNOWLEDGEMENT: """\
Dear {addressee}

## We have your complaint

Thank you for letting us know that you are unhappy. We got your complaint on {received_on}. We take it seriously and we will look into it.

## What happens next

- Someone at the practice who was not part of your care will look into what happened.
- They may read your notes and talk to the staff you saw.
- We will write to you with our full answer. We aim to do this within {outcome_target_days} working days. If we need more time, we will tell you why and when to expect it.

## We would like to talk to you

We would like to agree with you how we will deal with your complaint. If you would like to talk about it, or there is anything else you want us to know, please phone us on {practice_phone} and ask for the practice manager.

## Help you can get

You do not have to do this on your own.

- **NHS Complaints Advocacy** is a free service that can help you make your complaint and support you while we look into it. Your local council can tell you who runs it where you live.
- **PALS**, the Patient Advice and Liaison Service, can give you advice and help. Your local PALS is {pals_office_name}. {pals_contact}

## If you are not happy with our answer

If you are still unhappy after you get our final answer, you have the right to ask the **Parliamentary and Health Service Ombudsman** to look at your complaint. The Ombudsman makes final decisions on NHS complaints that have not been put right. It does not work for the practice and it is free to use. You can phone the Ombudsman on 0345 015 4033 or go to www.ombudsman.org.uk.

Please quote our reference, {reference}, if you contact us.

Yours sincerely

{sender_signature}
{practice_name}
""",
    LetterKind.APPOINTMENT: """\
Dear {addressee}

## Your second opinion

You asked for another doctor at the practice to look at your concern. {reviewer_name} will do this for you.

{review_plan}

## Things that may help

- Write down what you want to ask or tell the doctor, so you do not forget anything.
- If you come in, you can bring a friend or relative with you.
- If the time does not suit you, or you have a question, please phone us on {practice_phone}.

The doctor may agree with the advice you had before, or may see things in a different way. They will explain what they think and why.

Please quote our reference, {reference}, if you contact us.

Yours sincerely

{sender_signature}
{practice_name}
""",
    LetterKind.OUTCOME: """\
Dear {addressee}

## The result of your second opinion

Thank you for waiting while we looked at your concern again. {reviewer_name} has now done this.

{outcome_in_words}

{reviewer_note}

If you would like to talk about this, please phone us on {practice_phone}.

## If you are still worried

- You can ask to speak to the practice manager.
- PALS, the Patient Advice and Liaison Service, can give you advice from outside the practice. Your local PALS is {pals_office_name}. {pals_contact}

Please quote our reference, {reference}, if you contact us.

Yours sincerely

{sender_signature}
{practice_name}
""",
    LetterKind.PALS: """\
Dear {addressee}

## Getting help from PALS

You told us you would like help from outside the practice. PALS, the Patient Advice and Liaison Service, may be able to help you.

PALS is part of the NHS. It is run by NHS organisations, such as your local integrated care board, and not by the practice. PALS can:

- listen to your worries and give you advice
- help you sort out a problem with your care
- tell you how to make a complaint, if you want to

It is free to use. PALS keeps what you tell it private.

## Your local PALS office

{pals_details}

When you get in touch, you can ask to speak to a PALS officer. It may help to give them our reference, {reference}.

You can still talk to us at any time. Please phone us on {practice_phone}.

Yours sincerely

{sender_signature}
{practice_name}
""",
    LetterKind.FINAL_RESPONSE: """\
Dear {addressee}

## Our answer to your complaint

We received your complaint on {received_on}. Thank you for your patience while we looked into it. This letter is our full answer.

## How we looked into it

{how_considered}

## What you raised, and what we found

{issues_and_conclusions}

{apology}

## What we have done, or will do

{actions_taken}

## What we have learned

{lessons_learned}

## If you are not happy with our answer

Please tell us, and we will try again to put things right. If you remain unhappy, you can ask the **Parliamentary and Health Service Ombudsman** to look at your complaint. The Ombudsman is independent of the NHS and of the practice, makes the final decision on NHS complaints and is free to use. Phone 0345 015 4033, go to www.ombudsman.org.uk, or write to Millbank Tower, 30 Millbank, London SW1P 4QP, usually within 12 months of when you first knew about the problem. Your local PALS, {pals_office_name}, can help you too.

Please quote our reference, {reference}, if you contact us.

Yours sincerely

{responsible_signature}
{practice_name}
""",
    LetterKind.DELAY: """\
Dear {addressee}

## Your complaint is taking longer than it should

We received your complaint on {received_on}. We are sorry that we have not yet sent you our full answer.

## Why it is taking longer

{delay_reason}

## When you will hear from us

We now expect to send you our full answer by {response_due_on}. If that changes, we will tell you, and we will keep you updated in the meantime. If you would like to talk to us about it, please phone us on {practice_phone} and ask for the practice manager.

## You do not have to wait

Because it has taken this long, you can ask the **Parliamentary and Health Service Ombudsman** to look at your complaint now, without waiting for our answer. It is independent and free to use: phone 0345 015 4033 or go to www.ombudsman.org.uk.

Please quote our reference, {reference}, if you contact us.

Yours sincerely

{sender_signature}
{practice_name}
""",
}
