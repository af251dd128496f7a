// Hyperlesson's small behaviours that htmx does not cover. No inline script anywhere:
// the Content-Security-Policy allows only files from this server.
"use strict";
