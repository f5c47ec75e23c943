// Apache ECharts, loaded only in the browser (dynamic import inside an effect, so the server
// never renders or bundles it). Every chart on a page has a table or list beside it that
// carries the same figures without JavaScript and for screen readers; the chart itself is
// marked aria-hidden. A click on a data item calls onItemClick (used to drill down).
import { useEffect, useRef } from "react";

export type ChartClick = { seriesName?: string; name?: string; dataIndex: number; data?: unknown };

export function EChart({
  option,
  onItemClick,
  height = 320,
  testId,
}: {
  option: Record<string, unknown>;
  onItemClick?: (e: ChartClick) => void;
  height?: number;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const clickRef = useRef(onItemClick);
  clickRef.current = onItemClick;
  const json = JSON.stringify(option);

  useEffect(() => {
    let disposed = false;
    let chart: { dispose(): void; resize(): void } | undefined;
    const onResize = () => chart?.resize();
    import("echarts").then((echarts) => {
      if (disposed || !ref.current) return;
      const c = echarts.init(ref.current, undefined, { renderer: "svg" });
      c.setOption(JSON.parse(json));
      c.on("click", (p: unknown) => clickRef.current?.(p as ChartClick));
      chart = c;
      ref.current.dataset.ready = "1";
      window.addEventListener("resize", onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener("resize", onResize);
      chart?.dispose();
    };
  }, [json]);

  return <div ref={ref} className="chart" style={{ height }} aria-hidden="true" data-testid={testId} />;
}
