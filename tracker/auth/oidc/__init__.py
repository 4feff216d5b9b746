"""Signing in with an NHS identity over OpenID Connect: NHSmail (Microsoft Entra ID) and NHS Care
Identity Service 2, or any provider configured the same way.

- `providers`: the providers this install offers, from the environment, with the two ready
  profiles' defaults;
- `claims`: what an ID token's claims say (the person's key at the provider, a verified email,
  multi-factor sign-in, the assurance level, the selected role's organisation);
- `accounts`: which account a sign-in opens; accounts are never made by signing in;
- `client`: the OpenID Connect client (Authlib) and the app's own public keys;
- `routes`: the sign-in, its return, back-channel logout and the key set.
"""
