"""The transactional outbox: every email is a row written in the transaction of the change
that causes it, and a sender (tracker.mail) delivers the rows afterwards."""
