"""The browser UI: server-rendered HTML pages and the same-origin static JavaScript and CSS."""
