"""The letters the practice sends, and how a letter reached the patient."""

from tracker.vocabulary import Labelled


class LetterKind(Labelled):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement of a formal complaint"
    APPOINTMENT = "appointment", "Second opinion appointment or review of notes"
    OUTCOME = "outcome", "Outcome of the second opinion"
    PALS = "pals", "PALS: where to get help"
    FINAL_RESPONSE = "final_response", "Final response to a formal complaint"
    DELAY = "delay", "Delay in the response to a complaint"


class SentMethod(Labelled):
    POST = "post", "By post"
    EMAIL = "email", "By email"
    HANDED_OVER = "handed_over", "Handed to the patient"
