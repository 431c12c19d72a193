"use client";

import { createContext, type ReactNode, useContext, useState } from "react";
import { DEFAULT_PREFERENCES, type TUserPreferences } from "@/server/preferences/preferences-schema";

type TPreferencesContext = { preferences: TUserPreferences; setPreferences: (p: TUserPreferences) => void };

const PreferencesContext = createContext<TPreferencesContext>({
  preferences: DEFAULT_PREFERENCES,
  setPreferences: () => {},
});

/** The signed-in user's settings (read on the server with the page), for every client component. */
export function PreferencesProvider({
  initial,
  children,
}: {
  initial: TUserPreferences;
  children: ReactNode;
}) {
  const [preferences, setPreferences] = useState(initial);
  return (
    <PreferencesContext.Provider value={{ preferences, setPreferences }}>
      {children}
    </PreferencesContext.Provider>
  );
}

export const usePreferences = () => useContext(PreferencesContext);
