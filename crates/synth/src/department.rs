//! Who the department is: its name, budget units, offices, staffing and vehicles, and the
//! 第一部分 部门概况 (overview) that describes them.

use budgetflow_model::overview::{BudgetUnit, Headcount, Overview, Staffing};
use budgetflow_model::FunctionCode;
use rand::seq::IndexedRandom;
use rand::Rng;

use crate::profiles::{fill, Profile, Theme, PLACES, PROFILES, SURNAMES};
use crate::Shape;

/// A budget unit (预算单位) of the department: the bureau itself (本级) or an institution.
#[derive(Debug)]
pub struct Unit {
    pub name: String,
    /// 行政单位 (the bureau) rather than 事业单位.
    pub administrative: bool,
    /// 项 of its basic expenditure.
    pub basic_code: FunctionCode,
    /// 项 of its general projects.
    pub project_code: FunctionCode,
    /// The institution's own project theme.
    pub theme: Option<&'static Theme>,
    /// 在职
    pub active: u32,
    /// 退休
    pub retired: u32,
    /// 离休
    pub pre_1949: u32,
}

/// The department being generated.
#[derive(Debug)]
pub struct Department {
    pub name: String,
    pub place: &'static str,
    pub profile: &'static Profile,
    pub year: i32,
    /// The bureau first, then its institutions.
    pub units: Vec<Unit>,
    pub offices: Vec<&'static str>,
    /// 编制数
    pub authorised: u32,
    /// Changes on last year of 在职 / 退休 / 离休.
    pub headcount_changes: [i64; 3],
    /// 一般公务用车
    pub official_cars: u32,
    /// 执法执勤用车
    pub enforcement_cars: u32,
    /// 部门联系人 (`陈先生`) and phone.
    pub contact: String,
    pub phone: String,
}

/// A functional code of the shipped catalog.
pub fn function_code(code: &str) -> FunctionCode {
    code.parse()
        .unwrap_or_else(|e| panic!("profile data holds an invalid functional code: {e}"))
}

/// A contact person as printed in the target tables (`王先生`).
pub fn person(rng: &mut impl Rng) -> String {
    format!("{}先生", SURNAMES.choose(rng).copied().unwrap_or("王"))
}

impl Department {
    /// The department number `index` of the corpus for `seed`: names cycle through every
    /// profile and place before repeating.
    pub fn draw(rng: &mut impl Rng, seed: u64, index: usize, shape: &Shape) -> Department {
        let slot = seed.wrapping_add(index as u64);
        let profile = &PROFILES[(slot % PROFILES.len() as u64) as usize];
        let place = PLACES[((slot / PROFILES.len() as u64) % PLACES.len() as u64) as usize];
        let name = format!("{place}{}", profile.bureau);

        let mut units = vec![Unit {
            name: name.clone(),
            administrative: true,
            basic_code: function_code(profile.admin_basic),
            project_code: function_code(profile.admin_project),
            theme: None,
            active: rng.random_range(25..=110),
            retired: rng.random_range(10..=180),
            pre_1949: if rng.random_ratio(1, 3) {
                rng.random_range(1..=3)
            } else {
                0
            },
        }];
        let institutions = shape.institutions.min(profile.institutions.len());
        for institution in &profile.institutions[..institutions] {
            units.push(Unit {
                name: format!("{place}{}", institution.name),
                administrative: false,
                basic_code: function_code(institution.basic),
                project_code: function_code(institution.project),
                theme: Some(&institution.theme),
                active: rng.random_range(5..=40),
                retired: rng.random_range(0..=40),
                pre_1949: 0,
            });
        }

        let office_count = rng.random_range(profile.offices.len().min(5)..=profile.offices.len());
        let active: u32 = units.iter().map(|u| u.active).sum();
        let pre_1949_change = if units[0].pre_1949 > 0 {
            -rng.random_range(0..=1)
        } else {
            0
        };
        let authorised = (active as i64 + rng.random_range(-8..=6)).max(1) as u32;
        Department {
            name,
            place,
            profile,
            year: shape.year,
            units,
            offices: profile.offices[..office_count].to_vec(),
            authorised,
            headcount_changes: [
                rng.random_range(-8..=5),
                rng.random_range(-5..=8),
                pre_1949_change,
            ],
            official_cars: rng.random_range(0..=12),
            enforcement_cars: if profile.enforcement_vehicles {
                rng.random_range(0..=8)
            } else {
                0
            },
            contact: person(rng),
            phone: format!("{}", rng.random_range(2_000_000..=8_999_999)),
        }
    }

    /// Fills a text template with this department's year, place and name.
    pub fn fill(&self, template: &str) -> String {
        fill(template, self.year, self.place, &self.name)
    }

    pub fn institutions(&self) -> usize {
        self.units.len() - 1
    }

    pub fn staffing(&self) -> Staffing {
        let sum = |f: fn(&Unit) -> u32| self.units.iter().map(f).sum::<u32>();
        let (active, retired, pre_1949) =
            (sum(|u| u.active), sum(|u| u.retired), sum(|u| u.pre_1949));
        let [da, dr, dp] = self.headcount_changes;
        Staffing {
            authorised: self.authorised,
            actual: active + retired + pre_1949,
            active: Headcount {
                count: active,
                change: Some(da),
            },
            retired: Headcount {
                count: retired,
                change: Some(dr),
            },
            pre_1949_retired: Headcount {
                count: pre_1949,
                change: Some(dp),
            },
        }
    }

    /// 第一部分 部门概况.
    pub fn overview(&self) -> Overview {
        let d = &self.name;
        let y = self.year;
        let duties: Vec<String> = self.profile.duties.iter().map(|t| self.fill(t)).collect();
        let numbered: String = duties
            .iter()
            .enumerate()
            .map(|(i, t)| format!("（{}）{t}", crate::narrative::chinese_number(i as u32 + 1)))
            .collect();
        let n = self.institutions();
        let staffing = self.staffing();
        let mut organisation = vec![
            if n == 0 {
                format!("从预算单位构成看，{d}的预算包括：{d}本级预算。")
            } else {
                format!("从预算单位构成看，{d}的预算包括：{d}本级预算及下属{n}家预算单位在内的汇总预算。")
            },
            format!("{d}本级下设{}个科室，分别是：{}。", self.offices.len(), self.offices.join("、")),
            format!("本部门中，行政单位1家，事业单位{n}家，纳入{d}{y}年部门预算编制范围的下属预算单位包括："),
        ];
        for (i, unit) in self.units.iter().enumerate() {
            let marker = if unit.administrative {
                "（本级）"
            } else {
                ""
            };
            organisation.push(format!("{}、{}{marker}", i + 1, unit.name));
        }
        organisation.push(format!(
            "{d}编制数{}，实有人数{}人，其中：在职{}；退休{}；离休{}。",
            staffing.authorised,
            staffing.actual,
            headcount_text(staffing.active),
            headcount_text(staffing.retired),
            headcount_text(staffing.pre_1949_retired),
        ));
        Overview {
            functions_text: vec![numbered],
            organisation_text: organisation,
            functions: duties,
            offices: self.offices.iter().map(|o| o.to_string()).collect(),
            office_count: Some(self.offices.len() as u32),
            units: self
                .units
                .iter()
                .map(|u| BudgetUnit {
                    name: u.name.clone(),
                    own_level: u.administrative,
                })
                .collect(),
            subordinate_unit_count: (n > 0).then_some(n as u32),
            administrative_units: Some(1),
            public_institutions: Some(n as u32),
            staffing: Some(staffing),
        }
    }
}

/// `105人，减少7人`
fn headcount_text(h: Headcount) -> String {
    let change = h.change.unwrap_or(0);
    let direction = if change < 0 { "减少" } else { "增加" };
    format!("{}人，{direction}{}人", h.count, change.abs())
}
