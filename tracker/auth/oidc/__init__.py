"""Signing in with an NHS identity over OpenID Connect: NHSmail (Microsoft Entra ID) and NHS Care
Identity Service 2, or any provider configured the same way. The providers the install offers,
and their two ready profiles, are in `tracker.security.providers` (the password sign-in and the
practice settings read them too).

- `claims`: what an ID token's claims say (the person's key at the provider, a verified email,
  multi-factor sign-in, the assurance level, the selected role's organisation);
- `accounts`: which account a sign-in opens; accounts are never made by signing in;
- `client`: the OpenID Connect client (Authlib) and the app's own public keys;
- `routes`: the sign-in, its return, back-channel logout and the key set.
"""
