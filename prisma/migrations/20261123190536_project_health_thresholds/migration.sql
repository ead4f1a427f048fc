-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "healthThresholds" JSONB;
