"use client";
/**
 * A time series (recharts): one or more lines or stacked areas over bucket starts, with units on
 * the axis and in the tooltip. Colours read in light and dark mode (text uses currentColor).
 */
import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_COLOR, GRID_COLOR } from "./chart-theme";

export type ValueUnit = "count" | "ms" | "pct";

export interface SeriesSpec {
  key: string;
  label: string;
  color: string;
}

export interface TimeSeriesChartProps {
  /** Points: `t` = epoch ms of the bucket start, then one value per series key (null = no data). */
  data: ({ t: number } & Record<string, number | null>)[];
  series: SeriesSpec[];
  unit: ValueUnit;
  /** Bucket width, to label the time axis with times or dates. */
  bucketSeconds: number;
  kind?: "line" | "area";
  height?: number;
  /** Accessible summary of what the chart shows. */
  label: string;
}

export function formatValue(v: number | null | undefined, unit: ValueUnit): string {
  if (v === null || v === undefined) return "—";
  if (v === 0) return "0";
  if (unit === "pct") return `${(v * 100).toFixed(v * 100 < 10 ? 1 : 0)} %`;
  if (unit === "ms") {
    if (v >= 1000) return `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)} s`;
    return `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
  }
  return v >= 1000 ? `${(v / 1000).toFixed(1)}k` : String(Math.round(v));
}

function formatTick(t: number, bucketSeconds: number): string {
  const d = new Date(t);
  if (bucketSeconds >= 6 * 3600) return d.toLocaleDateString("en", { month: "short", day: "numeric" });
  return d.toLocaleTimeString("en", { hour: "2-digit", minute: "2-digit", hour12: false });
}

export function TimeSeriesChart({ data, series, unit, bucketSeconds, kind = "line", height = 180, label }: TimeSeriesChartProps) {
  const common = (
    <>
      <CartesianGrid stroke={GRID_COLOR} vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={["dataMin", "dataMax"]}
        tickFormatter={(t: number) => formatTick(t, bucketSeconds)}
        stroke={AXIS_COLOR}
        tick={{ fontSize: 11, fill: "currentColor" }}
        tickLine={false}
        minTickGap={40}
      />
      <YAxis
        stroke={AXIS_COLOR}
        tick={{ fontSize: 11, fill: "currentColor" }}
        tickLine={false}
        axisLine={false}
        width={60}
        allowDecimals={unit !== "count"}
        tickFormatter={(v: number) => formatValue(v, unit)}
      />
      <Tooltip
        labelFormatter={(t) => new Date(Number(t)).toLocaleString("en", { dateStyle: "medium", timeStyle: "short" })}
        formatter={(v, name) => [formatValue(typeof v === "number" ? v : null, unit), name]}
        contentStyle={{ background: "var(--chart-tooltip-bg, #fff)", border: "1px solid rgba(113,113,122,0.3)", borderRadius: 8, fontSize: 12 }}
        labelStyle={{ color: "inherit" }}
      />
    </>
  );
  return (
    <figure role="img" aria-label={label} className="text-zinc-500 [--chart-tooltip-bg:#ffffff] dark:text-zinc-400 dark:[--chart-tooltip-bg:#18181b]">
      <ResponsiveContainer width="100%" height={height}>
        {kind === "area" ? (
          <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            {common}
            {series.map((s) => (
              <Area key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={s.color} fill={s.color} fillOpacity={0.2} strokeWidth={1.5} isAnimationActive={false} />
            ))}
          </AreaChart>
        ) : (
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            {common}
            {series.map((s) => (
              <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={s.color} dot={false} strokeWidth={1.75} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </figure>
  );
}
