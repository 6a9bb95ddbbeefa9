// Placeholder entry so the bundle task has a file; replaced by the mcp-probe CLI (issue 3).
export {};
