export {
  runTablePage,
  countRunTable,
  runTableKeys,
  type RunTableColumns,
  type RunTableRow,
  type RunTablePage,
  type RunTableQuery,
} from "./runs-table";
