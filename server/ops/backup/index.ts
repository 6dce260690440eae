export { createBackup, type BackupOptions, type BackupSummary } from "./backup";
export { restoreBackup, type RestoreOptions, type RestoreSummary } from "./restore";
export { instanceFilesOf, type InstanceFiles } from "./instance";
