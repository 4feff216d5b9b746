"""The OpenID Connect client of each provider (Authlib: authorization code flow with PKCE, state
and nonce), and the app's own public keys for providers it proves itself to with a signed
assertion (`private_key_jwt`)."""

from functools import cache
from pathlib import Path

from authlib.integrations.flask_client import OAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from flask import Flask, current_app
from joserfc.jwk import KeySet, RSAKey

from tracker.security.providers import (
    ProviderSettingsProblem,
    SignInProvider,
    offer,
    offered,
    providers_from,
)

EXTENSION = "tracker_sign_in"


def init_sign_in(app: Flask) -> None:
    """Read the install's providers (a problem in their settings stops the app here) and make
    an Authlib registry for their clients."""
    providers = providers_from(app.config.get("SIGN_IN_PROVIDERS") or [])
    _keys_by_id(providers.values())  # refuses one key id naming two keys
    offer(app, providers)
    app.extensions[EXTENSION] = OAuth(app)
    timeout = app.config.get("SIGN_IN_PROVIDER_TIMEOUT_SECONDS", 10)
    for provider in providers.values():
        _register(app.extensions[EXTENSION], provider, timeout)


def provider_named(key: str) -> SignInProvider | None:
    return offered().get(key)


def client_for(provider: SignInProvider):
    return current_app.extensions[EXTENSION].create_client(provider.key)


def _register(oauth: OAuth, provider: SignInProvider, timeout: float) -> None:
    client_kwargs = {
        "scope": provider.scopes,
        "code_challenge_method": "S256",
        "default_timeout": timeout,  # every request to the provider: discovery, keys, token
    }
    arguments = {"client_secret": provider.client_secret}
    if provider.uses_private_key:
        client_kwargs["token_endpoint_auth_method"] = PrivateKeyJWT.name
        arguments = {
            "client_secret": signing_key(provider.private_key_file, provider.key_id),
            "client_auth_methods": [PrivateKeyJWT(headers={"kid": provider.key_id})],
        }
    oauth.register(
        name=provider.key,
        client_id=provider.client_id,
        server_metadata_url=provider.discovery_url,
        client_kwargs=client_kwargs,
        **arguments,
    )


@cache
def signing_key(path: str, key_id: str) -> RSAKey:
    """The app's private key for signing its assertions to a provider, from its PEM file."""
    return RSAKey.import_key(Path(path).read_bytes(), parameters={"kid": key_id, "use": "sig"})


def _keys_by_id(providers) -> dict[str, RSAKey]:
    """The app's signing keys by their ids. Two providers may share a key, but one key id must
    name one key: a provider finds the key to check by its id."""
    keys: dict[str, RSAKey] = {}
    for provider in providers:
        if not provider.uses_private_key:
            continue
        key = signing_key(provider.private_key_file, provider.key_id)
        held = keys.setdefault(provider.key_id, key)
        if held.as_dict(private=False)["n"] != key.as_dict(private=False)["n"]:
            raise ProviderSettingsProblem(
                f"Sign-in provider {provider.key}: key id {provider.key_id} already names "
                "another key; give each key its own id"
            )
    return keys


def public_key_set() -> dict:
    """The public halves of the app's signing keys, for providers to check its assertions."""
    keys = _keys_by_id(offered().values())
    return KeySet(list(keys.values())).as_dict(private=False)
