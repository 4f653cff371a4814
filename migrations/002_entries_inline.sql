-- 002: keep entry rows up to a page's worth inline and uncompressed.
--
-- A Rekor body carrying a certificate is ~2.3 kB, just over the default 2 kB TOAST target, so
-- PostgreSQL ran pglz over every appended body (about a seventh of the database's CPU per append)
-- to save ~20 % of a value that is mostly base64. With the target at the page limit, rows stay
-- as they are; larger bodies (big DSSE envelopes) are still compressed and moved out of line.
ALTER TABLE entries SET (toast_tuple_target = 8160);
