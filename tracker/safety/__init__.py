"""Clinical safety (DCB0129): the hazard log kept as data and the documents made from it."""
