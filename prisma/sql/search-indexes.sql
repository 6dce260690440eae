-- The indexes search filters on params and tags use (docs/performance.md, "Search indexes"):
-- (key, first 256 characters of the value). A btree entry must stay under ~2.7 kB, and a param value
-- may be 6,000 characters and a tag value 8,000, so the value itself cannot be the key. The prefix is
-- compared bytewise (COLLATE "C"), which makes `LIKE 'prefix%'` usable on it too; the search compiler
-- (server/services/tracking-search/value-prefix.ts) writes the matching prefix condition next to the
-- exact one. The drift test (tests/integration/drift.test.ts) applies this file next to the schema.
CREATE INDEX "Param_key_valuePrefix_idx" ON "Param" ("key", (left("value", 256)) COLLATE "C");
CREATE INDEX "RunTag_key_valuePrefix_idx" ON "RunTag" ("key", (left("value", 256)) COLLATE "C");
