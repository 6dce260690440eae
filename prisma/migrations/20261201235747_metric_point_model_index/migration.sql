-- CreateIndex
CREATE INDEX "MetricPoint_modelId_idx" ON "MetricPoint" USING HASH ("modelId");

