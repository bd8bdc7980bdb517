// Small progressive enhancements that need no inline script (the CSP forbids inline script).
