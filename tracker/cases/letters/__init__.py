"""Letters to the patient: the practice's editable templates, how a case fills them in, the PDF
they become, and the letters kept exactly as they were sent."""
