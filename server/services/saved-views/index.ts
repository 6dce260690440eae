export { listSavedRunViews, saveSavedRunView, deleteSavedRunView, MAX_SAVED_VIEWS_PER_EXPERIMENT, type SavedRunView } from "./saved-views";
