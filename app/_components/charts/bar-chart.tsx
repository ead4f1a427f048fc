"use client";
/** Vertical bars over categories (latency histogram, status breakdown), counts on hover. */
import { Bar, BarChart as RBarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS_COLOR, GRID_COLOR } from "./chart-theme";

export interface BarDatum {
  label: string;
  value: number;
  color?: string;
}

export function BarChart({ data, color = "#6366f1", height = 180, label, valueLabel = "Calls" }: { data: BarDatum[]; color?: string; height?: number; label: string; valueLabel?: string }) {
  return (
    <figure role="img" aria-label={label} className="text-zinc-500 [--chart-tooltip-bg:#ffffff] dark:text-zinc-400 dark:[--chart-tooltip-bg:#18181b]">
      <ResponsiveContainer width="100%" height={height}>
        <RBarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke={GRID_COLOR} vertical={false} />
          <XAxis dataKey="label" stroke={AXIS_COLOR} tick={{ fontSize: 10, fill: "currentColor" }} tickLine={false} interval={0} />
          <YAxis stroke={AXIS_COLOR} tick={{ fontSize: 11, fill: "currentColor" }} tickLine={false} axisLine={false} width={40} allowDecimals={false} />
          <Tooltip
            cursor={{ fill: "rgba(113,113,122,0.12)" }}
            formatter={(v) => [String(v), valueLabel]}
            contentStyle={{ background: "var(--chart-tooltip-bg, #fff)", border: "1px solid rgba(113,113,122,0.3)", borderRadius: 8, fontSize: 12 }}
          />
          <Bar dataKey="value" name={valueLabel} radius={[3, 3, 0, 0]} maxBarSize={72} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={i} fill={d.color ?? color} />
            ))}
          </Bar>
        </RBarChart>
      </ResponsiveContainer>
    </figure>
  );
}
