"""The settings of the browser tests' server: the production settings, with passwords
hashed fast.

Over the browser tests the server checks some fifty passwords (each sign-in, and the ten
failures that lock an account), and PBKDF2's 1.5 million rounds cost 0.6 s of CPU a
check: half a minute of the lane. Signing in, the lockout and the password rules are the
same with a fast hash; nothing else differs from what ``make run`` serves.
"""

from shequ.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
