-- DropIndex
DROP INDEX "LatestMetric_key_value_idx";

-- CreateIndex
CREATE INDEX "LatestMetric_key_value_runSeq_idx" ON "LatestMetric"("key", "value", "runSeq");

