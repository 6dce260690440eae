-- DropIndex
DROP INDEX "Param_key_value_idx";

-- CreateIndex
CREATE INDEX "Param_key_idx" ON "Param"("key");

