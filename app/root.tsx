import type { MetaFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { getSessionUser } from "./auth/session.server";
import { ROLE_LABELS } from "./auth/types";
import { MainNav } from "./components/MainNav";
import { navItems } from "./components/nav";
import { useNonce } from "./utils/csp-nonce";
import stylesheet from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  return { user };
}

function Shell({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  // The CSP nonce for Remix's inline scripts (server only; see app/utils/csp-nonce.ts).
  const nonce = useNonce();
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="topbar">
          <Link to="/" className="brand">
            <span className="brand-mark">绩</span> jixiao 预算绩效管理
          </Link>
          {user ? (
            <>
              <MainNav items={navItems(user.role)} />
              <div className="whoami">
                <span className="region" data-testid="region">{user.regionName}</span>
                <span data-testid="user">
                  {user.displayName} · {ROLE_LABELS[user.role]}
                </span>
                <Form method="post" action="/logout">
                  <button type="submit" className="btn btn-link">
                    退出登录
                  </button>
                </Form>
              </div>
            </>
          ) : null}
        </header>
        <main className="page">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  return <Shell>{children}</Shell>;
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

const ERROR_TEXT: Record<number, [string, string]> = {
  400: ["请求有误", "提交的内容无法处理，请返回检查后重试。"],
  403: ["无权访问", "您的角色无权进行此操作。如需权限，请联系本地区系统管理员。"],
  404: ["页面不存在", "您访问的页面或数据不存在，或不在您的权限范围内。"],
  405: ["不支持的操作", "此页面不接受这种请求。"],
  409: ["数据已被修改", "他人已修改了这条数据，请刷新后重试。"],
};

// Error pages need a title too (every page has one, WCAG 2.4.2); routes set their own.
export const meta: MetaFunction = ({ error }) => {
  if (!error) return [{ title: "jixiao 绩效" }];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return [{ title: `${ERROR_TEXT[status]?.[0] ?? "系统错误"} · jixiao` }];
};

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const [title, text] = ERROR_TEXT[error.status] ?? ["出错了", String(error.data ?? "")];
    return (
      <div className="error-page">
        <p className="error-code">{error.status}</p>
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <Link to="/">返回工作台</Link>
        </p>
      </div>
    );
  }
  console.error(error);
  return (
    <div className="error-page">
      <p className="error-code">500</p>
      <h1>系统错误</h1>
      <p>服务器处理请求时出错，您的操作未生效。请稍后重试；如问题持续，请联系系统管理员。</p>
      <p>
        <Link to="/">返回工作台</Link>
      </p>
    </div>
  );
}
