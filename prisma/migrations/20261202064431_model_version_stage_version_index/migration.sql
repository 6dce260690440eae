-- DropIndex
DROP INDEX "ModelVersion_modelId_stage_idx";

-- CreateIndex
CREATE INDEX "ModelVersion_modelId_stage_version_idx" ON "ModelVersion"("modelId", "stage", "version");

