"""Alerts (issue 16): an e-mail address subscribes to a commune or a département for one profession (double opt-in,
no account), and receives one message when a published zonage version, a rule or an obligation changes the answer
there; the same changes make an Atom feed per commune. It reads aides, zonages, territoires and noyau (never the
portal), which never import it."""
