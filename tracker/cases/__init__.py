"""Cases: the request, its intake form, the workflow of actions and the case page."""
