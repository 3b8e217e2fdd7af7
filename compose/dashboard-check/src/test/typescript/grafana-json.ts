// Types that let tsc check a dashboard as Grafana stores it (JSON) against @grafana/schema.
// DashboardSchemaTypesTest writes dashboards/<file>.ts per provisioned dashboard:
//   export const dashboard: Json<Dashboard> = <the JSON>;
//   const panel4: PanelOptionsCheck<'stat'> = <the panel's options>;
// and runs tsc --noEmit over them.
import type { AnnotationContainer, AnnotationQuery, Dashboard, DataQuery } from '@grafana/schema';
import type * as BarChart from '@grafana/schema/dist/esm/raw/composable/barchart/panelcfg/x/BarChartPanelCfg_types.gen';
import type * as Gauge from '@grafana/schema/dist/esm/raw/composable/gauge/panelcfg/x/GaugePanelCfg_types.gen';
import type * as Geomap from '@grafana/schema/dist/esm/raw/composable/geomap/panelcfg/x/GeomapPanelCfg_types.gen';
import type * as Stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as Table from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type * as TimeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

// The query model of Grafana's SQL datasources (public/app/features/plugins/sql/types.ts, SQLQuery), which
// @grafana/schema leaves to the datasource: what our panels, variables and annotations use.
export interface SqlQuery extends DataQuery {
  rawSql?: string;
  format?: 'time_series' | 'table';
  rawQuery?: boolean;
  editorMode?: 'builder' | 'code';
  dataset?: string;
  table?: string;
}

// A dashboard whose annotations are SQL queries.
export type SqlDashboard = Omit<Dashboard, 'annotations'> & {
  annotations?: Omit<AnnotationContainer, 'list'> & { list?: Array<AnnotationQuery<SqlQuery>> };
};

// JSON carries Grafana's string enums (FieldColorModeId, ThresholdsMode, MappingType, ...) as their string
// values; `${E}` of a string enum is exactly the union of those values. Numeric enums accept their numbers.
export type Json<T> = T extends string
  ? `${T}`
  : T extends ReadonlyArray<infer U>
    ? Array<Json<U>>
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

// Provisioned panels may leave options out (Grafana fills in defaults), so panel options are checked for
// unknown keys and wrong types and values, not for completeness.
export type DeepPartial<T> = T extends ReadonlyArray<infer U>
  ? Array<DeepPartial<U>>
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

interface PanelOptions {
  barchart: BarChart.Options;
  gauge: Gauge.Options;
  geomap: Geomap.Options;
  stat: Stat.Options;
  table: Table.Options;
  timeseries: TimeSeries.Options;
}

interface PanelFieldConfig {
  barchart: BarChart.FieldConfig;
  table: Table.FieldConfig;
  timeseries: TimeSeries.FieldConfig;
}

export type CheckedPanelType = keyof PanelOptions;
export type CheckedFieldConfigType = keyof PanelFieldConfig;
export type PanelOptionsCheck<K extends CheckedPanelType> = DeepPartial<Json<PanelOptions[K]>>;
export type FieldConfigCheck<K extends CheckedFieldConfigType> = DeepPartial<Json<PanelFieldConfig[K]>>;
