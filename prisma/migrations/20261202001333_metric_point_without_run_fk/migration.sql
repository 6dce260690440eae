-- DropForeignKey
ALTER TABLE "MetricPoint" DROP CONSTRAINT "MetricPoint_runSeq_fkey";

