/** The configurable tasks table: columns (incl. metadata keys), widths, density, page size, header sort. */
export { TableSettings } from "./TableSettings";
export { TasksTable } from "./TasksTable";
export { useTableConfig, type TableConfig } from "./useTableConfig";
