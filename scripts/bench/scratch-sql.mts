import { compileRunSearch } from "@/server/services/tracking-search";
const search = compileRunSearch({ projectId: "cmx6uo84r00000y7durh7w9e7", experimentIds: [process.argv[2]!] as never, filter: "metrics.m_0 > 0.5 AND params.p_1 = 'v3'", orderBy: ["metrics.m_2 DESC"], viewType: "ACTIVE_ONLY", maxResults: 100 });
console.log(search.sql); console.log(JSON.stringify(search.params));
