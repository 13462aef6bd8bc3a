"""Orders: each Ativo integration's orders, read incrementally with its token, and the silence
of an account that usually sells. Reached from the rest only through its services and selectors."""
