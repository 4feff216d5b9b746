// A real OpenID provider on loopback for the tests and for trying NHS sign-in locally:
// panva's certified `oidc-provider` with a sign-in page of its own (email and password) that
// can assert multi-factor sign-in and an assurance level, the claims of NHSmail (Entra ID) and
// of NHS Care Identity Service 2, dynamic client registration, back-channel logout and
// RP-initiated logout.
//
//   node tests/oidc/provider.mjs config.json
//
// config.json: {"port": 0, "users": [...], "clients": [...], "id_token_seconds": 3600}
// A user: {"email", "password", "sub", "email_verified", "acr", "amr", "claims": {...}}.
// It prints "listening <issuer>" once it answers. Test-only controls, under /__test/ (the
// server listens on 127.0.0.1 only): add users, spoil the next token response in one way
// (tamper), and send a back-channel logout to a client.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const users = new Map();
const addUser = (user) => users.set(user.email.toLowerCase(), user);
(config.users || []).forEach(addUser);
const userBySub = (sub) => [...users.values()].find((user) => user.sub === sub);

const SCOPES = {
  // How the person signed in (acr, amr) in every ID token, as NHSmail and CIS2 send them.
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'oid', 'tid', 'idp'],
  nhsperson: ['nhsid_useruid', 'idassurancelevel', 'title'],
  associatedorgs: ['nhsid_user_orgs'],
  nationalrbacaccess: ['nhsid_nrbac_roles'],
  selectedrole: ['selected_roleid'],
};

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await jose.exportJWK(privateKey)), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(config.port || 0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients || [],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: Object.keys(SCOPES),
  claims: SCOPES,
  conformIdTokenClaims: false, // the scopes' claims in the ID token too, as NHSmail's are
  pkce: { required: () => true },
  acrValues: ['AAL1_USERPASS', 'AAL2_OR_AAL3_ANY', 'AAL3_ANY'],
  ttl: {
    IdToken: config.id_token_seconds || 3600,
    AccessToken: 600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    backchannelLogout: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const user = userBySub(sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email: user.email, email_verified: user.email_verified ?? true, ...(user.claims || {}) };
      },
    };
  },
  // Everything on loopback here: the app's key set and its back-channel logout address are
  // on 127.0.0.1, which the provider refuses to reach out to by default.
  fetch: (url, options) => {
    delete options.dispatcher;
    return globalThis.fetch(url, options);
  },
});

// The next token response, spoilt in one way: another key's signature under the same key id,
// another audience or issuer, an expiry already passed, or the ID token of an earlier sign-in
// (a replayed nonce).
let tamper = null;
let lastIdToken = null;
const otherKey = (await jose.generateKeyPair('RS256')).privateKey;
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const issued = ctx.body.id_token;
  const mode = tamper;
  tamper = null;
  if (mode === 'replay' && lastIdToken) {
    ctx.body = { ...ctx.body, id_token: lastIdToken };
  } else if (mode) {
    const claims = jose.decodeJwt(issued);
    const now = Math.floor(Date.now() / 1000);
    // Another service's token, naming this client as its authorized party: only the audience
    // check can refuse it.
    if (mode === 'audience') Object.assign(claims, { aud: 'another-service', azp: claims.aud });
    if (mode === 'issuer') claims.iss = 'http://127.0.0.1:1/not-the-provider';
    if (mode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
    const key = mode === 'signature' ? otherKey : privateKey;
    const token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid })
      .sign(key);
    ctx.body = { ...ctx.body, id_token: token };
  }
  lastIdToken = issued;
});

// Why a request was refused, for whoever reads a failing test's output.
for (const name of ['grant.error', 'server_error', 'backchannel.error', 'jwks.error']) {
  provider.on(name, (...args) => {
    const error = args.find((arg) => arg instanceof Error);
    console.error(`${name}: ${error?.error_description || error?.message} ${error?.cause?.message || ''}`);
  });
}

const page = (title, body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${title}</title>
<style>body{font-family:Arial,sans-serif;margin:2rem;max-width:30rem}label,input,button{display:block;margin:.5rem 0;font-size:1.1rem}
input{width:100%;padding:.4rem}.error{color:#d5281b;font-weight:bold}</style></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signInForm(uid, error = '', email = '') {
  return page('Test identity provider: sign in', `
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(email)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button>
</form>`);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res, status, body, type = 'text/html; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function interaction(req, res, url) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (req.method === 'GET' && prompt.name === 'login') return send(res, 200, signInForm(uid));
  if (req.method === 'POST' && url.pathname.endsWith('/login')) {
    const form = new URLSearchParams(await readBody(req));
    const user = users.get((form.get('email') || '').toLowerCase());
    if (!user || user.password !== form.get('password')) {
      return send(res, 200, signInForm(uid, 'Your email address or password is not right', form.get('email')));
    }
    const login = { accountId: user.sub };
    if (user.acr) login.acr = user.acr;
    if (user.amr) login.amr = user.amr;
    return provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
  }
  if (prompt.name === 'consent') {
    // Every client here is the organisation's own: consent is given for it.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return send(res, 400, page('Test identity provider', '<p>Nothing to do here.</p>'));
}

async function control(req, res, url) {
  const asked = req.method === 'POST' ? JSON.parse((await readBody(req)) || '{}') : {};
  const json = (status, value) => send(res, status, JSON.stringify(value), 'application/json');
  if (url.pathname === '/__test/health') return json(200, { issuer });
  if (url.pathname === '/__test/users') {
    (asked.users || []).forEach(addUser);
    return json(200, { users: users.size });
  }
  if (url.pathname === '/__test/tamper') {
    tamper = asked.mode || null;
    return json(200, { tamper });
  }
  if (url.pathname === '/__test/logout-token') {
    // A logout token signed with the provider's own key, spoilt in one way (or not): another
    // audience, no back-channel logout event, a nonce, or no expiry.
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      aud: asked.client_id,
      iat: now,
      exp: now + 120,
      jti: randomBytes(16).toString('hex'),
      sid: asked.sid,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    };
    if (asked.spoil === 'audience') claims.aud = 'another-service';
    if (asked.spoil === 'events') delete claims.events;
    if (asked.spoil === 'nonce') claims.nonce = 'a-nonce';
    if (asked.spoil === 'expiry') delete claims.exp;
    const token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid, typ: 'logout+jwt' })
      .sign(privateKey);
    return json(200, { token });
  }
  if (url.pathname === '/__test/backchannel-logout') {
    const client = await provider.Client.find(asked.client_id);
    if (!client) return json(404, { error: 'no such client' });
    try {
      await client.backchannelLogout(asked.sub, asked.sid);
      return json(200, { sent: true });
    } catch (error) {
      return json(502, { error: error.message });
    }
  }
  return json(404, { error: 'unknown control' });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const url = new URL(req.url, issuer);
  const handle = url.pathname.startsWith('/interaction/')
    ? interaction(req, res, url)
    : url.pathname.startsWith('/__test/')
      ? control(req, res, url)
      : Promise.resolve(callback(req, res));
  handle.catch((error) => {
    if (!res.headersSent) send(res, 500, page('Test identity provider', `<p>${escapeHtml(error.message)}</p>`));
  });
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
console.log(`listening ${issuer}`);
