"""Where a request's client address comes from (no Django import: settings.py uses it).

Without reverse proxies it is the connection's address (REMOTE_ADDR). Behind N proxies that each
append the address they received from to X-Forwarded-For (nginx: `proxy_add_x_forwarded_for`),
the client is the N-th entry from the right; what a client writes into the header itself stays to
the left and is ignored. django-axes reads the address through django-ipware with these settings;
ipware counts the entries after the client's, hence N - 1, and `IPWARE_STRICT = False` accepts the
longer chain a client's own entries make.
"""


def client_address_settings(trusted_proxies: int) -> dict:
    if trusted_proxies <= 0:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",)}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": trusted_proxies - 1,
        "IPWARE_STRICT": False,
    }
