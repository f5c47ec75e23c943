// Labels of 整改 states (docs/monitoring.md), shared by the server and the browser.
export const RECT_STATUS_LABELS = { open: "待整改", answered: "待财政确认", closed: "已完成" } as const;
