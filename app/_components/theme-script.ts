export const THEME_STORAGE_KEY = "tapline-theme";

/**
 * Runs in <head> before first paint (no flash): applies the stored choice, or the OS preference.
 * A plain string (not in a "use client" module) so the root layout can inline it.
 */
export const themeScript = `(function(){try{var c=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});var d=c==="dark"||(c!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);}catch(e){}})();`;
