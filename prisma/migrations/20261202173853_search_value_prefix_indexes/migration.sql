-- DropIndex
DROP INDEX "Param_key_idx";

-- DropIndex
DROP INDEX "RunTag_key_idx";


-- Hand-added, as in prisma/sql/search-indexes.sql: they replace the key-only indexes dropped above
-- (key is still their first column), so writes maintain as many indexes as before.
CREATE INDEX "Param_key_valuePrefix_idx" ON "Param" ("key", (left("value", 256)) COLLATE "C");
CREATE INDEX "RunTag_key_valuePrefix_idx" ON "RunTag" ("key", (left("value", 256)) COLLATE "C");
