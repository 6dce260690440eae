-- CreateTable
CREATE TABLE "ModelCardRevision" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "versionId" TEXT,
    "target" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "sections" JSONB NOT NULL,
    "author" TEXT NOT NULL,
    "changeSummary" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelCardRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ModelCardRevision_modelId_target_revision_key" ON "ModelCardRevision"("modelId", "target", "revision");

-- AddForeignKey
ALTER TABLE "ModelCardRevision" ADD CONSTRAINT "ModelCardRevision_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "RegisteredModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelCardRevision" ADD CONSTRAINT "ModelCardRevision_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

