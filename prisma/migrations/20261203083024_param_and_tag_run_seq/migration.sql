-- Params and tags carry their run's seq, as metrics do, so that search joins a param or tag filter
-- with metric conditions without going through "Run" (docs/performance.md, "Params and tags carry the
-- run's number"). Hand-edited: the column is filled from "Run" before it becomes NOT NULL.

-- AlterTable
ALTER TABLE "Param" ADD COLUMN     "runSeq" BIGINT;
UPDATE "Param" p SET "runSeq" = r."seq" FROM "Run" r WHERE r."id" = p."runId";
ALTER TABLE "Param" ALTER COLUMN "runSeq" SET NOT NULL;

-- AlterTable
ALTER TABLE "RunTag" ADD COLUMN     "runSeq" BIGINT;
UPDATE "RunTag" t SET "runSeq" = r."seq" FROM "Run" r WHERE r."id" = t."runId";
ALTER TABLE "RunTag" ALTER COLUMN "runSeq" SET NOT NULL;

-- CreateIndex
CREATE INDEX "Param_runSeq_key_idx" ON "Param"("runSeq", "key");

-- CreateIndex
CREATE INDEX "RunTag_runSeq_key_idx" ON "RunTag"("runSeq", "key");
