// The theme reaches components through context, so a test can render any component with colour off.
import { createContext, useContext } from "react";
import { COLOR_THEME, type Theme } from "../theme.js";

export const ThemeContext = createContext<Theme>(COLOR_THEME);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
