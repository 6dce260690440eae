export {
  putArtifact,
  readArtifact,
  statArtifact,
  deleteArtifact,
  listArtifacts,
  listRunArtifacts,
  listArtifactsUnder,
  readRunArtifact,
  readArtifactUnder,
  runArtifactRoot,
  storagePathOf,
  multipartSupported,
  createArtifactUpload,
  completeArtifactUpload,
  abortArtifactUpload,
  presignArtifactDownload,
} from "./artifacts";
export { decodeArtifactPath, type ListEntry, type ObjectRead } from "@/server/storage";
