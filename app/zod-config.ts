import { z } from "zod";

// zod 4 compiles object parsers with `new Function` when it may, and probes for that with a
// `new Function("")` that our Content-Security-Policy reports as an eval violation even though
// zod catches it. The probe runs when a schema is built, so this module is imported first, by
// root.tsx (the browser's first route module) and server.ts, before any module that builds one.
z.config({ jitless: true });
