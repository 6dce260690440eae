export {
  putArtifact,
  readArtifact,
  statArtifact,
  deleteArtifact,
  listArtifacts,
  listRunArtifacts,
  listArtifactsUnder,
  readRunArtifact,
  runArtifactRoot,
  storagePathOf,
  multipartSupported,
  createArtifactUpload,
  completeArtifactUpload,
  abortArtifactUpload,
  presignArtifactDownload,
} from "./artifacts";
export type { ListEntry, ObjectRead } from "@/server/storage";
