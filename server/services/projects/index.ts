export { createProject, listProjects, renameProject, deleteProject, type ProjectSummary } from "./projects";
